"""Drives the bridge with the official Python MCP SDK (2.x) and prints what it saw as JSON.

    python3 python_client.py <mcp url> <auto|legacy>

`auto` is the Client's default mode: it probes server/discover and, given 2026-07-28, speaks that
revision (per-request _meta, no initialize). `legacy` initializes a 2025-era session.
"""
import asyncio
import json
import sys

from mcp import Client

CALLS = [
    ("process_data", {"operation": "transform", "data": {"user_name": " Ada ", "tags": ["a", None]}}),
    ("process_data", {"operation": "validate", "data": {"a": 1}, "schema": {"type": "object", "required": ["a"]}}),
    ("process_data", {"operation": "analyze", "data": {"n": [1, 3]}}),
    ("process_data", {"operation": "nope"}),
    ("health_check", {}),
]


async def main(url: str, mode: str) -> None:
    async with Client(url, mode=mode) as client:
        tools = await client.list_tools()
        results = []
        for name, arguments in CALLS:
            result = await client.call_tool(name, arguments)
            results.append({"name": name, "isError": bool(result.is_error), "structured": result.structured_content})
        print(json.dumps({
            "protocolVersion": client.protocol_version,
            "tools": sorted(tool.name for tool in tools.tools),
            "results": results,
        }))


asyncio.run(main(sys.argv[1], sys.argv[2]))
