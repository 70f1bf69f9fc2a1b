import HomeportCLI

@main
struct Entrypoint {
    static func main() async { await HomeportCommand.main() }
}
