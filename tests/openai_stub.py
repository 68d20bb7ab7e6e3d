"""A small OpenAI-compatible chat-completions server on 127.0.0.1 for end-to-end tests.

Canned but responsive: it reads the numbered passages it is sent and quotes the first sentence of
passage 1, so the client's citation verification has something real to check. Behaviour by model:
- any model: plain answers in the KÄLLOR: text format, JSON for `response_format`, SSE when `stream`
- with `tools`: first a tool call to sok_i_underlaget, then (after the tool result) the final answer
- "langsam": sleeps longer than the client's timeout
- "utan-verktyg": rejects requests with tools (400) like servers without tool support do
Requests without "Authorization: Bearer <key>" for the configured key get 401.
"""

from __future__ import annotations

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PASSAGE = re.compile(r'<källa nr="(\d+)"[^>]*>\n(.*?)\n</källa>', re.S)


def _first_sentence(text: str) -> str:
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    body = text.split("\n\n", 1)[1] if "\n\n" in text else text
    return re.split(r"(?<=[.!?])\s", body.strip(), maxsplit=1)[0]


class LocalServer:
    """A threaded HTTP server on a free port of 127.0.0.1, running for the duration of a `with` block."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def root_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        raise NotImplementedError


class Stub(LocalServer):
    def __init__(self, key: str = "ratt-nyckel"):
        self.key = key
        super().__init__()

    @property
    def base_url(self) -> str:
        return f"{self.root_url}/v1"

    def _handler(self):
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output clean
                pass

            def _json(self, status: int, payload: dict) -> None:
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):  # noqa: N802
                length = int(self.headers.get("Content-Length", 0))
                request = json.loads(self.rfile.read(length) or b"{}")
                request["_auth"] = self.headers.get("Authorization", "")
                stub.requests.append(request)
                if not self.path.endswith("/chat/completions"):
                    return self._json(404, {"error": {"message": "not found"}})
                if request["_auth"] != f"Bearer {stub.key}":
                    return self._json(401, {"error": {"message": "Incorrect API key provided", "type": "invalid_request_error",
                                                      "code": "invalid_api_key"}})
                model = request.get("model")
                if model == "langsam":
                    time.sleep(5)
                if model == "utan-verktyg" and request.get("tools"):
                    return self._json(400, {"error": {"message": "tools are not supported by this model",
                                                      "type": "invalid_request_error"}})
                message = stub.reply(request)
                if request.get("stream"):
                    return self._stream(message, model)
                finish = "tool_calls" if message.get("tool_calls") else "stop"
                return self._json(200, {
                    "id": "chatcmpl-test", "object": "chat.completion", "created": 0, "model": model,
                    "choices": [{"index": 0, "message": message, "finish_reason": finish}],
                    "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
                })

            def _stream(self, message: dict, model: str) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                deltas = [{"role": "assistant", "content": piece}
                          for piece in re.findall(r"\S+\s*|\s+", message.get("content") or "")]
                for i, call in enumerate(message.get("tool_calls") or []):
                    deltas.append({"role": "assistant", "tool_calls": [{"index": i, "id": call["id"], "type": "function",
                                                                        "function": call["function"]}]})
                for delta in deltas:
                    chunk = {"id": "chatcmpl-test", "object": "chat.completion.chunk", "created": 0, "model": model,
                             "choices": [{"index": 0, "delta": delta, "finish_reason": None}]}
                    self.wfile.write(f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode())
                    self.wfile.flush()
                finish = "tool_calls" if message.get("tool_calls") else "stop"
                end = {"id": "chatcmpl-test", "object": "chat.completion.chunk", "created": 0, "model": model,
                       "choices": [{"index": 0, "delta": {}, "finish_reason": finish}]}
                self.wfile.write(f"data: {json.dumps(end)}\n\ndata: [DONE]\n\n".encode())
                self.wfile.flush()

        return Handler

    def reply(self, request: dict) -> dict:
        messages = request.get("messages", [])
        text = "\n".join(str(m.get("content") or "") for m in messages)
        if request.get("tools") and not any(m.get("role") == "tool" for m in messages):
            question = next(m["content"] for m in reversed(messages) if m.get("role") == "user")
            call = {"id": "call_1", "type": "function",
                    "function": {"name": "sok_i_underlaget", "arguments": json.dumps({"fraga": question}, ensure_ascii=False)}}
            return {"role": "assistant", "content": None, "tool_calls": [call]}
        passages = PASSAGE.findall(text)
        if not passages:
            return {"role": "assistant", "content": "Underlaget besvarar inte frågan."}
        n, body = passages[0]
        quote = _first_sentence(body)
        if request.get("response_format"):
            content = json.dumps({"answered": True, "answer": f"Enligt underlaget gäller följande [{n}].",
                                  "citations": [{"n": int(n), "quote": quote}]}, ensure_ascii=False)
        else:
            content = f"Enligt underlaget gäller följande [{n}].\n\nKÄLLOR:\n[{n}] »{quote}«"
        return {"role": "assistant", "content": content}
