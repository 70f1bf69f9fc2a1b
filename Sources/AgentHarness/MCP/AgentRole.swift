/// The three roles of the harness (ai/design.md). A role decides which tools an agent gets.
public enum AgentRole: String, Sendable, CaseIterable, Codable {
    /// Reads and plans; writes nothing.
    case planner
    /// Changes files inside the task's layers through guarded tools.
    case engineer
    /// Validates and reports; writes nothing in the repository.
    case executor
}
