// The engine worker: one Engine (src/engine) behind the RPC of ./engineHost.ts. The page's
// analyses run here, off the main thread; decode workers post their models here directly.

import { Engine } from '../engine/engine';
import { serveEngine } from './engineHost';
import type { Endpoint } from './engineProtocol';
import { canShare, shareColumns } from './handoff';

// In a cross-origin isolated page, large results (QueryContext.share) are shared with the page.
serveEngine(self as unknown as Endpoint, new Engine(canShare() ? { share: shareColumns } : {}));
