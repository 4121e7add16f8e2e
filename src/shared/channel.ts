/** Where a request comes from: a trace tag (`channel:web`) and a field of the HTTP API, so one list for both. */
export const CHANNELS = ['api', 'telegram', 'web', 'cli'] as const;

export type Channel = (typeof CHANNELS)[number];
