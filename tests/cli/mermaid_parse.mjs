// Parse Mermaid diagrams with the real `mermaid` package (jsdom stands in for the browser's DOM; no
// browser is downloaded). Reads a JSON array of diagram texts on stdin, prints a JSON array of results:
// {"ok": true, "type": "flowchart-v2"} or {"ok": false, "error": "<first line of the parse error>"}.
import { JSDOM } from "jsdom";

const dom = new JSDOM("<!doctype html><html><body></body></html>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import("mermaid");
// `--no-limits` lifts Mermaid's default size limits (500 edges, 50,000 characters) to check the grammar alone.
if (process.argv.includes("--no-limits")) mermaid.initialize({ maxEdges: 1e6, maxTextSize: 1e8 });

let input = "";
for await (const chunk of process.stdin) input += chunk;
const results = [];
for (const text of JSON.parse(input)) {
  try {
    const parsed = await mermaid.parse(text);
    results.push({ ok: true, type: parsed.diagramType });
  } catch (error) {
    results.push({ ok: false, error: String(error.message ?? error).split("\n").slice(0, 3).join(" | ") });
  }
}
process.stdout.write(JSON.stringify(results));
