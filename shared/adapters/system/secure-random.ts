import { randomBytes } from 'node:crypto';
import type { RandomBytes } from '../../ports/random';

export const secureRandom: RandomBytes = (n) => new Uint8Array(randomBytes(n));
