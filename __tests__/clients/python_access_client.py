"""Drives an MCP endpoint as one caller (a bearer token) with the official Python MCP SDK (2.x).

    python3 python_access_client.py <mcp url> <auto|legacy> <token> '<json list of [tool, arguments]>'

Prints one JSON line: the negotiated revision, the tool names listed, and for each call either its
isError and text, or the error the client raised (its type and message).
"""
import asyncio
import json
import sys

from mcp import Client
from mcp.client.streamable_http import create_mcp_http_client, streamable_http_client


async def main(url: str, mode: str, token: str, calls: list) -> None:
    http = create_mcp_http_client(headers={"Authorization": f"Bearer {token}"})
    async with http, Client(streamable_http_client(url, http_client=http), mode=mode) as client:
        tools = await client.list_tools()
        results = []
        for name, arguments in calls:
            try:
                result = await client.call_tool(name, arguments)
                texts = [block.text for block in result.content if getattr(block, "type", None) == "text"]
                results.append({"name": name, "isError": bool(result.is_error), "text": texts})
            except Exception as error:  # the refusal, as the client reports it
                results.append({"name": name, "raised": type(error).__name__, "message": str(error)})
        print(json.dumps({
            "protocolVersion": client.protocol_version,
            "tools": sorted(tool.name for tool in tools.tools),
            "results": results,
        }))


asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])))
