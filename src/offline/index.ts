/**
 * The built-in offline sommelier: a deterministic ChatModel that needs no API key. It reads the
 * conversation like an LLM would, calls the same tools with the same argument schemas, relaxes a search
 * that found too little, and writes the final answer only from wines the tools returned.
 */
import { readConversation, type ConversationReading } from '../understanding/index.js';
import { streamInPieces, type ChatModel, type ChatRequest, type ChatResponse } from '../llm/index.js';
import type { ChatMessage, ToolCall, ToolDefinition } from '../shared/index.js';
import { budgetSearchArgs, drySearchArgs, hasSoftArgs, nearMissSearches, semanticSearchArgs, strictSearchArgs, withoutSoftArgs } from './planner.js';
import { questionSearches } from './questions.js';
import { composeReply, ENOUGH, gatherCandidates, type Candidate } from './reply.js';
import { readTranscript, type Transcript } from './transcript.js';
import { wordingFor } from './wording/index.js';

export const OFFLINE_MODEL = 'sommelier-offline';

/** Tool calls one relaxation round may make (a soft relaxation plus near-miss searches). */
const MAX_RELAXATION_CALLS = 4;

type Decision = { kind: 'tools'; calls: { name: string; args: object }[] } | { kind: 'reply'; text: string };

/** The first step of a turn: which tools to call for what the person asked. */
function planTools(reading: ConversationReading, message: string, available: Set<string>): Decision {
  const c = reading.constraints;
  const words = wordingFor(c.language);
  if (reading.smallTalk) return { kind: 'reply', text: words.smallTalk(reading.smallTalk) };
  if (c.question) {
    const searches = available.has('search_wines') ? questionSearches(c.question) : [];
    // A question about a topic ("what are tannins?") needs no search; one about grapes looks at their wines.
    if (searches.length === 0 && c.question.kind === 'topic') return { kind: 'reply', text: words.aboutTopic(c.question.topic) };
    if (searches.length > 0) return { kind: 'tools', calls: searches.map((args) => ({ name: 'search_wines', args })) };
  }
  const calls: { name: string; args: object }[] = [];
  if (available.has('search_wines')) calls.push({ name: 'search_wines', args: strictSearchArgs(c) });
  const budget = budgetSearchArgs(c);
  if (budget && available.has('search_wines')) calls.push({ name: 'search_wines', args: budget });
  const semantic = semanticSearchArgs(c, message);
  if (semantic && available.has('semantic_search')) calls.push({ name: 'semantic_search', args: semantic });
  if (calls.length === 0) return { kind: 'reply', text: composeReply({ reading, rounds: [], earlierReplies: [], message }).text };
  return { kind: 'tools', calls };
}

/** After the tools answered: relax once if too little fits, otherwise write the answer. */
function afterTools(reading: ConversationReading, transcript: Transcript, message: string, canCallTools: boolean, available: Set<string>): Decision {
  const c = reading.constraints;
  const reply = (candidates?: Candidate[]): Decision => ({
    kind: 'reply',
    text: composeReply({ reading, rounds: transcript.rounds, earlierReplies: transcript.earlierReplies, message, candidates }).text,
  });
  if (!canCallTools || !available.has('search_wines') || transcript.rounds.length !== 1 || c.question) return reply();

  const candidates = gatherCandidates(transcript.rounds, c, transcript.earlierReplies);
  const fitting = candidates.filter((x) => x.broken.length === 0).length;
  const fittingCore = candidates.filter((x) => x.core.length === 0).length;
  if (fitting >= ENOUGH) return reply(candidates);

  const strict = strictSearchArgs(c);
  const relaxed: object[] = [];
  // Too few fit because the best matches are sweet and nobody asked for sweet: look again without them.
  if (c.avoidSweet && candidates.some((x) => x.broken.length === 1 && x.broken[0] === 'sweet')) relaxed.push(drySearchArgs(c));
  if (hasSoftArgs(strict)) relaxed.push(withoutSoftArgs(strict));
  if (fittingCore === 0) relaxed.push(...nearMissSearches(strict));
  const seen = new Set([JSON.stringify(strict)]);
  const calls = relaxed
    .filter((args) => {
      const key = JSON.stringify(args);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .slice(0, MAX_RELAXATION_CALLS)
    .map((args) => ({ name: 'search_wines', args }));
  return calls.length > 0 ? { kind: 'tools', calls } : reply();
}

/** Rough token count for the trace: about four characters a token. */
const estimateTokens = (text: string): number => Math.ceil(text.length / 4);

/**
 * Characters of the tool definitions, measured once per definitions array (they never change). Module-level
 * and weak: one entry per toolbox's frozen definitions, gone with them.
 */
const toolDefinitionChars = new WeakMap<readonly ToolDefinition[], number>();

/**
 * What the prompt would cost as text, without serialising the whole conversation on every call: the
 * message texts and tool-call arguments plus a few characters of framing each, and the tool definitions.
 */
function estimateInputTokens(messages: readonly ChatMessage[], tools: readonly ToolDefinition[] | undefined): number {
  let chars = 0;
  for (const m of messages) {
    chars += 16 + (typeof m.content === 'string' ? m.content.length : 0);
    if (m.role === 'assistant') for (const call of m.tool_calls ?? []) chars += 32 + call.function.name.length + call.function.arguments.length;
  }
  if (tools && tools.length > 0) {
    let toolChars = toolDefinitionChars.get(tools);
    if (toolChars === undefined) {
      toolChars = JSON.stringify(tools).length;
      toolDefinitionChars.set(tools, toolChars);
    }
    chars += toolChars;
  }
  return Math.ceil(chars / 4);
}

export function createOfflineChatModel(): ChatModel {
  return {
    engine: 'offline',
    model: OFFLINE_MODEL,
    parameters: { temperature: 0, deterministic: true },
    // The engine reads the conversation and which tools it may call, never the system prompt or the tools'
    // schemas; its trace shows that (and skips ~5 KB of text per call that tracing would otherwise copy).
    async complete(request: ChatRequest): Promise<ChatResponse> {
      const messages: ChatMessage[] = Array.isArray(request.messages) ? request.messages : [];
      const transcript = readTranscript(messages);
      const reading = readConversation(transcript.userMessages);
      const message = transcript.userMessages.at(-1) ?? '';
      const available = new Set((request.tools ?? []).map((tool) => tool.function.name));
      const canCallTools = request.toolChoice !== 'none' && available.size > 0;

      let decision: Decision;
      if (transcript.userMessages.length === 0) {
        decision = { kind: 'reply', text: wordingFor(reading.constraints.language).smallTalk('greeting') };
      } else if (transcript.awaitingTools && canCallTools) {
        decision = planTools(reading, message, available);
      } else {
        decision = afterTools(reading, transcript, message, canCallTools, available);
      }

      // Ids continue the conversation's own numbering, so the same conversation always gets the same ids.
      const earlierCalls = messages.reduce((n, m) => n + (m.role === 'assistant' ? (m.tool_calls?.length ?? 0) : 0), 0);
      const toolCalls: ToolCall[] =
        decision.kind === 'tools'
          ? decision.calls.map((call, i) => ({
              id: `call_offline_${earlierCalls + i + 1}`,
              type: 'function',
              function: { name: call.name, arguments: JSON.stringify(call.args) },
            }))
          : [];
      const content = decision.kind === 'reply' ? decision.text : null;
      // A streamed request gets the answer in pieces, as from an LLM (the response below still has all of it).
      const completionStartTime = content !== null && request.onDelta ? await streamInPieces(content, request.onDelta, { signal: request.signal }) : null;
      const input = estimateInputTokens(messages, request.tools);
      const output = estimateTokens(content ?? JSON.stringify(toolCalls));
      return {
        message: { content, tool_calls: toolCalls },
        finishReason: decision.kind === 'tools' ? 'tool_calls' : 'stop',
        engine: 'offline',
        model: OFFLINE_MODEL,
        usage: { input, output, total: input + output },
        costUsd: 0,
        completionStartTime,
      };
    },
  };
}
