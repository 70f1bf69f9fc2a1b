#!/usr/bin/env python3
"""A stub OpenAI-compatible chat endpoint for the harness tests.

Usage: openai_stub.py SCRIPT.jsonl REQUESTS.jsonl

Each line of SCRIPT is one scripted answer, used in order:
  {"message": {...}, "finish_reason": "..."}  -> a chat completion with that message
  {"raw": "text", "status": 500}              -> that body and status, verbatim
Every request body is appended to REQUESTS as one line. The server listens on a free
loopback port, prints it, and stops when its standard input closes (its owner is gone, even
if the owner crashed) or, as a last resort, after 120 seconds.
"""
import http.server
import json
import sys
import threading

script_path, requests_path = sys.argv[1], sys.argv[2]
with open(script_path, encoding="utf-8") as handle:
    answers = [json.loads(line) for line in handle if line.strip()]
position = {"next": 0}


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with open(requests_path, "a", encoding="utf-8") as handle:
            handle.write(body.decode("utf-8") + "\n")
        if not self.path.endswith("/chat/completions"):
            self.reply(404, b'{"error": "not found"}')
            return
        index = position["next"]
        position["next"] += 1
        if index >= len(answers):
            answer = {"message": {"role": "assistant", "content": "(the script has ended)"}, "finish_reason": "stop"}
        else:
            answer = answers[index]
        if "raw" in answer:
            self.reply(answer.get("status", 200), answer["raw"].encode("utf-8"))
            return
        completion = {
            "id": "chatcmpl-%d" % index,
            "object": "chat.completion",
            "choices": [{"index": 0, "message": answer["message"], "finish_reason": answer.get("finish_reason", "stop")}],
        }
        self.reply(200, json.dumps(completion).encode("utf-8"))

    def reply(self, status, data):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *arguments):
        pass


server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
def stop_when_owner_leaves():
    sys.stdin.buffer.read()
    server.shutdown()


threading.Thread(target=stop_when_owner_leaves, daemon=True).start()
backstop = threading.Timer(120, server.shutdown)
backstop.daemon = True
backstop.start()
server.serve_forever()
