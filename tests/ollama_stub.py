"""A small Ollama-compatible server (/api/chat) on 127.0.0.1 for end-to-end tests of KATEGORI_LLM=ollama.

Like the OpenAI stub it quotes the first sentence of passage 1 from what it is sent. It answers with
JSON when the request has a `format` (structured output), streams NDJSON when asked to, and reports
"model not found" for an unknown model, as Ollama does.
"""

from __future__ import annotations

import json
import re
from http.server import BaseHTTPRequestHandler

from .openai_stub import PASSAGE, LocalServer, _first_sentence

MODEL = "llama-test"


class OllamaStub(LocalServer):
    @property
    def base_url(self) -> str:
        return self.root_url

    def _handler(self):
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):  # noqa: N802
                request = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                stub.requests.append(request)
                if request.get("model") != MODEL:
                    body = json.dumps({"error": f"model '{request.get('model')}' not found"}).encode()
                    self.send_response(404)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
                content = stub.reply(request)
                self.send_response(200)
                self.send_header("Content-Type", "application/x-ndjson")
                self.end_headers()
                base = {"model": MODEL, "created_at": "2026-01-01T00:00:00Z"}
                pieces = re.findall(r"\S+\s*|\s+", content) if request.get("stream") else [content]
                for piece in pieces:
                    line = {**base, "message": {"role": "assistant", "content": piece}, "done": False}
                    self.wfile.write((json.dumps(line, ensure_ascii=False) + "\n").encode())
                final = {**base, "message": {"role": "assistant", "content": ""}, "done": True, "done_reason": "stop",
                         "total_duration": 1, "eval_count": 1, "prompt_eval_count": 1}
                self.wfile.write((json.dumps(final) + "\n").encode())

        return Handler

    def reply(self, request: dict) -> str:
        text = "\n".join(str(m.get("content") or "") for m in request.get("messages", []))
        passages = PASSAGE.findall(text)
        if not passages:
            return "Underlaget besvarar inte frågan."
        n, body = passages[0]
        quote = _first_sentence(body)
        if request.get("format"):
            return json.dumps({"answered": True, "answer": f"Enligt underlaget [{n}].",
                               "citations": [{"n": int(n), "quote": quote}]}, ensure_ascii=False)
        return f"Enligt underlaget [{n}].\n\nKÄLLOR:\n[{n}] »{quote}«"
