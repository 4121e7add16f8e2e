/**
 * `npx tsx bench/span-floor.ts [--traces 4000] [--rounds 3]` — what one chat's trace costs in CPU at each
 * layer of the tracing stack, in this process, with nothing sent anywhere: the floor under "added CPU for
 * tracing" (issue 16) for a trace of this shape built with OpenTelemetry and the Langfuse SDK.
 *
 * The shape is an LLM chat's: an agent span, a generation that calls a tool, the tool, a second generation,
 * with the real system prompt and tool schemas and a tool result of five wines (~16 KB of attributes in
 * all, as a traced LLM chat sends). Layers, each adding to the one before:
 *   otel       bare OpenTelemetry spans with the same strings as attributes, a span processor that hands
 *              finished spans to an exporter that drops them;
 *   langfuse   the Langfuse SDK's observations (attributes serialised by the SDK) and its span processor;
 *   masking    the processor masks inputs and outputs with our masking (src/masking.ts);
 *   encoded    the exporter encodes each trace as OTLP/JSON, as the spool's intake does.
 * Rounds interleave the layers; the table gives medians of CPU µs per trace.
 */
import { ROOT_CONTEXT, trace as otelTrace, type Tracer } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { BasicTracerProvider, SimpleSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { LangfuseSpanProcessor } from '@langfuse/otel';
import { LangfuseAgent, LangfuseGeneration, LangfuseTool } from '@langfuse/tracing';
import { z } from 'zod';
import { systemPrompt } from '../src/agent/prompts.js';
import { langfuseMask } from '../src/masking.js';
import type { Catalog } from '../src/catalog/index.js';
import { messagesJson, toolsJson, type ChatMessage, type ToolDefinition } from '../src/shared/index.js';
import { createToolbox } from '../src/tools/index.js';
import { summarize } from './stats.js';
import { option } from './report.js';

type Layer = 'otel' | 'langfuse' | 'masking' | 'encoded';
const LAYERS: readonly Layer[] = ['otel', 'langfuse', 'masking', 'encoded'];

/** Drops spans; optionally encodes them first, as the spool's intake does for each finished span. */
function discardingExporter(encode: boolean): SpanExporter {
  return {
    export(spans, done) {
      if (encode) JsonTraceSerializer.serializeRequest(spans as ReadableSpan[]);
      done({ code: ExportResultCode.SUCCESS });
    },
    shutdown: async () => undefined,
  };
}

const WINES = Array.from({ length: 5 }, (_, i) => ({
  id: 1000 + i,
  name: `Château Exemple ${i} Grand Vin`,
  type: 'red',
  country: 'France',
  region: 'Bordeaux',
  grapes: ['Cabernet Sauvignon', 'Merlot'],
  pairings: ['beef', 'lamb', 'game'],
  abv: 13.5,
  rating: 4.1,
  ratings: 1200 + i,
}));

function chatPayload(definitions: readonly ToolDefinition[]): { messages: ChatMessage[]; afterTool: ChatMessage[]; toolResult: string; tools: string } {
  const messages: ChatMessage[] = [
    { role: 'system', content: systemPrompt('en') },
    { role: 'user', content: 'A dry red for a steak dinner, under 30 euros please' },
  ];
  const toolResult = JSON.stringify({ count: WINES.length, wines: WINES });
  const call = { id: 'call_1', type: 'function' as const, function: { name: 'search_wines', arguments: '{"type":"red","pairing":"steak"}' } };
  const afterTool: ChatMessage[] = [...messages, { role: 'assistant', content: null, tool_calls: [call] }, { role: 'tool', tool_call_id: 'call_1', content: toolResult }];
  return { messages, afterTool, toolResult, tools: toolsJson(definitions) };
}

function traceOneChat(tracer: Tracer, layer: Layer, payload: ReturnType<typeof chatPayload>): void {
  const firstInput = `{"messages":${messagesJson(payload.messages)},"tools":${payload.tools}}`;
  const secondInput = `{"messages":${messagesJson(payload.afterTool)},"tools":["search_wines","semantic_search"]}`;
  const reply = 'Try the Château Exemple 2 Grand Vin: firm tannins for the steak, and within your budget.';
  const agentSpan = tracer.startSpan('sommelier-chat', {}, ROOT_CONTEXT);
  const parent = otelTrace.setSpan(ROOT_CONTEXT, agentSpan);
  const gen1 = tracer.startSpan('llm-completion', {}, parent);
  const tool = tracer.startSpan('search_wines', {}, parent);
  const gen2 = tracer.startSpan('llm-completion', {}, parent);
  if (layer === 'otel') {
    agentSpan.setAttributes({ input: 'A dry red for a steak dinner, under 30 euros please' });
    gen1.setAttributes({ input: firstInput, output: '{"role":"assistant","tool_calls":[]}', model: 'openai/gpt-4o-mini' });
    gen1.end();
    tool.setAttributes({ input: '{"type":"red","pairing":"steak"}', output: payload.toolResult });
    tool.end();
    gen2.setAttributes({ input: secondInput, output: reply, model: 'openai/gpt-4o-mini' });
    gen2.end();
    agentSpan.setAttributes({ output: reply });
    agentSpan.end();
    return;
  }
  const agent = new LangfuseAgent({ otelSpan: agentSpan, attributes: { input: 'A dry red for a steak dinner, under 30 euros please' } });
  const generation1 = new LangfuseGeneration({ otelSpan: gen1, attributes: { model: 'openai/gpt-4o-mini', input: firstInput } });
  generation1.update({ output: { role: 'assistant', content: null }, usageDetails: { input: 1200, output: 30 }, costDetails: { total: 0.0002 } });
  generation1.end();
  const toolObservation = new LangfuseTool({ otelSpan: tool, attributes: { input: { type: 'red', pairing: 'steak' } } });
  toolObservation.update({ output: payload.toolResult });
  toolObservation.end();
  const generation2 = new LangfuseGeneration({ otelSpan: gen2, attributes: { model: 'openai/gpt-4o-mini', input: secondInput } });
  generation2.update({ output: { role: 'assistant', content: reply }, usageDetails: { input: 1600, output: 60 }, costDetails: { total: 0.0003 } });
  generation2.end();
  agent.update({ output: reply });
  agent.end();
}

function tracerFor(layer: Layer): { tracer: Tracer; provider: BasicTracerProvider } {
  const exporter = discardingExporter(layer === 'encoded');
  const processor =
    layer === 'otel'
      ? new SimpleSpanProcessor(exporter)
      : new LangfuseSpanProcessor({
          publicKey: 'pk-lf-bench',
          secretKey: 'sk-lf-bench',
          baseUrl: 'http://127.0.0.1:9',
          exporter,
          exportMode: 'immediate',
          mediaUploadEnabled: false,
          ...(layer === 'langfuse' ? {} : { mask: langfuseMask }),
        });
  const provider = new BasicTracerProvider({ spanProcessors: [processor] });
  return { tracer: provider.getTracer('langfuse-sdk'), provider };
}

/** CPU µs per trace for `traces` traces, after letting the masking's processor promises settle. */
async function measure(layer: Layer, traces: number, payload: ReturnType<typeof chatPayload>): Promise<number> {
  const { tracer, provider } = tracerFor(layer);
  for (let i = 0; i < 200; i += 1) traceOneChat(tracer, layer, payload);
  await provider.forceFlush();
  const start = process.cpuUsage();
  for (let i = 0; i < traces; i += 1) {
    traceOneChat(tracer, layer, payload);
    // The processor masks and exports after a microtask; let each batch finish as a request would.
    if (i % 50 === 49) await new Promise((resolve) => setImmediate(resolve));
  }
  await provider.forceFlush();
  const used = process.cpuUsage(start);
  await provider.shutdown();
  return (used.user + used.system) / traces;
}

async function main(): Promise<void> {
  const traces = z.coerce.number().int().positive().parse(option('--traces') ?? 4000);
  const rounds = z.coerce.number().int().positive().parse(option('--rounds') ?? 3);
  // The real tool schemas (the toolbox only needs a catalog to run them, not to describe them).
  const payload = chatPayload(createToolbox({} as Catalog).definitions);
  const samples = new Map<Layer, number[]>(LAYERS.map((layer) => [layer, []]));
  for (let round = 0; round < rounds; round += 1) {
    for (const layer of LAYERS) {
      const us = await measure(layer, traces, payload);
      samples.get(layer)!.push(us);
      process.stdout.write(`round ${round + 1}, ${layer}: ${us.toFixed(0)} µs CPU per trace\n`);
    }
  }
  process.stdout.write(`\n| layer (each adds to the one above) | CPU µs per trace (median of ${rounds}) | added by this layer |\n|---|---:|---:|\n`);
  let previous = 0;
  for (const layer of LAYERS) {
    const value = summarize(samples.get(layer)!).p50;
    process.stdout.write(`| ${layer} | ${value.toFixed(0)} | ${previous === 0 ? '' : (value - previous).toFixed(0)} |\n`);
    previous = value;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
