enum FluxPlaceholder {}
