import { join } from 'node:path';

/** ../shared/corpus beside the checkout, or $GOROSCOPE_CORPUS. */
export const CORPUS =
  process.env.GOROSCOPE_CORPUS ?? join(import.meta.dirname, '../../shared/corpus');
