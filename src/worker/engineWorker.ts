// The engine worker: one Engine (src/engine) behind the RPC of ./engineHost.ts. The page's
// analyses run here, off the main thread; decode workers post their models here directly.

import { serveEngine } from './engineHost';
import type { Endpoint } from './engineProtocol';

serveEngine(self as unknown as Endpoint);
