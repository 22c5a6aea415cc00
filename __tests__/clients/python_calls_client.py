"""Drives an MCP endpoint with the official Python MCP SDK (2.x): lists its tools, then makes the given calls.

    python3 python_calls_client.py <mcp url> <auto|legacy> '<json list of [tool, arguments]>'

Prints one JSON line: the negotiated revision, the tool names, and each call's isError, text and
structured content.
"""
import asyncio
import json
import sys

from mcp import Client


async def main(url: str, mode: str, calls: list) -> None:
    async with Client(url, mode=mode) as client:
        tools = await client.list_tools()
        results = []
        for name, arguments in calls:
            result = await client.call_tool(name, arguments)
            texts = [block.text for block in result.content if getattr(block, "type", None) == "text"]
            results.append({"name": name, "isError": bool(result.is_error), "text": texts, "structured": result.structured_content})
        print(json.dumps({
            "protocolVersion": client.protocol_version,
            "tools": sorted(tool.name for tool in tools.tools),
            "results": results,
        }))


asyncio.run(main(sys.argv[1], sys.argv[2], json.loads(sys.argv[3])))
