/** One server-sent event: its name and its JSON data. */
export interface SseEvent {
  event: string;
  data: unknown;
}

/** Parses a whole `text/event-stream` body (events separated by a blank line, `event:` and `data:` lines). */
export function parseSse(text: string): SseEvent[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      }
      return { event, data: JSON.parse(data.join('\n')) as unknown };
    });
}

/** Reads a streamed response as it arrives, noting when each event came (to see that it did stream). */
export async function readSse(response: Response): Promise<(SseEvent & { at: number })[]> {
  const events: (SseEvent & { at: number })[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const at = performance.now();
      for (const event of parseSse(buffer.slice(0, end + 2))) events.push({ ...event, at });
      buffer = buffer.slice(end + 2);
    }
  }
  return events;
}
