import HomeportCLI

@main
struct Entrypoint {
    static func main() async {
        HomeportCommand.stopChildrenOnInterrupt()
        await HomeportCommand.main()
    }
}
