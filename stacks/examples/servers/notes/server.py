"""A small MCP stdio server on the Python standard library alone (nothing to install): notes kept
in memory, and a check that its API key (a secret, set with `npm run secret`) reached it.

The example's Python server (stacks/examples/own-servers.json). It speaks the 2025 revisions; the
bridge speaks the client's on the outside.
"""
import hashlib
import json
import os
import sys

REVISIONS = ["2025-11-25", "2025-06-18", "2025-03-26"]
NOTES = []
TOOLS = [
    {
        "name": "add_note",
        "description": "Keeps a note for as long as the server runs.",
        "inputSchema": {"type": "object", "properties": {"text": {"type": "string", "minLength": 1}}, "required": ["text"]},
    },
    {
        "name": "list_notes",
        "description": "Lists the notes kept so far, oldest first.",
        "inputSchema": {"type": "object", "properties": {}},
    },
    {
        "name": "api_key_fingerprint",
        "description": "The first 12 hex digits of the SHA-256 of the server's NOTES_API_KEY: shows which key it got, never the key.",
        "inputSchema": {"type": "object", "properties": {}},
    },
]


def text(value, is_error=False):
    return {"content": [{"type": "text", "text": value}], "isError": is_error}


def call_tool(name, arguments):
    if name == "add_note":
        note = arguments.get("text")
        if not isinstance(note, str) or note == "":
            return text("text: give the note as a non-empty string", True)
        NOTES.append(note)
        return text(f"{len(NOTES)} notes")
    if name == "list_notes":
        return text("\n".join(NOTES))
    if name == "api_key_fingerprint":
        key = os.environ.get("NOTES_API_KEY", "")
        return text(hashlib.sha256(key.encode()).hexdigest()[:12] if key else "no key", key == "")
    return None


def answer(request):
    method, params = request.get("method"), request.get("params") or {}
    if method == "initialize":
        asked = params.get("protocolVersion")
        return {
            "protocolVersion": asked if asked in REVISIONS else REVISIONS[0],
            "capabilities": {"tools": {}},
            "serverInfo": {"name": "notes", "version": "1.0.0"},
        }
    if method == "ping":
        return {}
    if method == "tools/list":
        return {"tools": TOOLS}
    if method == "tools/call":
        result = call_tool(params.get("name"), params.get("arguments") or {})
        if result is None:
            raise LookupError(f"Unknown tool: {params.get('name')}")
        return result
    raise NotImplementedError(method)


def main():
    for line in sys.stdin:
        try:
            request = json.loads(line)
        except json.JSONDecodeError:
            continue
        if not isinstance(request, dict) or "id" not in request:
            continue  # a notification: nothing to answer
        reply = {"jsonrpc": "2.0", "id": request["id"]}
        try:
            reply["result"] = answer(request)
        except NotImplementedError as error:
            reply["error"] = {"code": -32601, "message": f"Method not found: {error}"}
        except LookupError as error:
            reply["error"] = {"code": -32602, "message": str(error)}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
