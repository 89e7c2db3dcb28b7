// The dialogue manager: the one entry point (handleMessage) that every channel and
// the eval suite use, and the channel-neutral Reply they render.

// Commonly used
export { createBot, type Bot, type BotDeps } from './bot.ts';
export { ChannelAdapter, type TurnDoor } from './adapter.ts';
export type { Reply, ReplyKind, Candidate, Card, Incoming } from './reply.ts';
export { Facets, type Facet } from '../knowledge/index.ts';

// Convenience for channels and staff tools
export { maskPersonalData } from './mask.ts';
export { FacetLabels, renderSheet } from './render/facets.ts';
export { RatingOptions } from './intents.ts';
export { TurnLog } from './turn-log.ts';
