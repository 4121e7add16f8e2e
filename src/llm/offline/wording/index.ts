import type { Language } from '../../../understanding/index.js';
import { english } from './en.js';
import { russian } from './ru.js';
import type { Wording } from './types.js';

export type * from './types.js';
export { choose, stableHash } from './shared.js';

/** The wording for a reply's language. */
export const wordingFor = (language: Language): Wording => (language === 'ru' ? russian : english);
