import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HomeportCore
import MCP

/// A chat model that can call tools. Messages and tools are JSON values in the OpenAI chat
/// format.
public protocol ChatBackend: Sendable {
    /// One completion: the assistant message (`choices[0].message`) and the finish reason.
    func complete(messages: [Value], tools: [Value]) async throws -> (message: Value, finishReason: String?)
}

/// Any OpenAI-compatible `/chat/completions` endpoint (Ollama, llama.cpp, LM Studio, …).
public struct OpenAICompatibleBackend: ChatBackend {
    public var baseURL: URL
    public var model: String
    /// From the environment (`HOMEPORT_AI_API_KEY`), never from the repository.
    public var apiKey: String?
    public var timeout: TimeInterval

    public init(baseURL: URL, model: String, apiKey: String? = nil, timeout: TimeInterval = 300) {
        self.baseURL = baseURL
        self.model = model
        self.apiKey = apiKey
        self.timeout = timeout
    }

    public func complete(messages: [Value], tools: [Value]) async throws -> (message: Value, finishReason: String?) {
        var body: [String: Value] = ["model": .string(model), "messages": .array(messages), "stream": false]
        if !tools.isEmpty {
            body["tools"] = .array(tools)
            body["tool_choice"] = "auto"
        }
        var request = URLRequest(url: baseURL.appendingPathComponent("chat/completions"), timeoutInterval: timeout)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        if let apiKey { request.setValue("Bearer \(apiKey)", forHTTPHeaderField: "Authorization") }
        request.httpBody = try JSONEncoder().encode(Value.object(body))
        let (data, status) = try await Self.send(request)
        guard (200..<300).contains(status) else {
            throw HomeportError("the model endpoint \(baseURL.absoluteString) answered HTTP \(status): \(String(decoding: data.prefix(300), as: UTF8.self))")
        }
        guard let response = try? JSONDecoder().decode(Value.self, from: data),
              let choice = response.objectValue?["choices"]?.arrayValue?.first?.objectValue else {
            throw HomeportError("the model endpoint answered something that is not a chat completion: \(String(decoding: data.prefix(300), as: UTF8.self))")
        }
        return (choice["message"] ?? ["role": "assistant", "content": ""], choice["finish_reason"]?.stringValue)
    }

    private static func send(_ request: URLRequest) async throws -> (Data, Int) {
        try await withCheckedThrowingContinuation { continuation in
            URLSession.shared.dataTask(with: request) { data, response, error in
                if let error {
                    continuation.resume(throwing: HomeportError("cannot reach the model endpoint \(request.url?.absoluteString ?? ""): \(error.localizedDescription)"))
                } else {
                    continuation.resume(returning: (data ?? Data(), (response as? HTTPURLResponse)?.statusCode ?? 0))
                }
            }.resume()
        }
    }
}
