import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { installAutomation } from './app/automation';
import { openFromLocation, syncHash } from './app/urlSync';
import { registerServiceWorker } from './app/offline';
import { createSessionStore } from './store/session';
import { decodeInWorker, prewarmDecoder } from './worker/client';
import { EngineClient } from './worker/engineClient';
import './styles.css';

// The engine worker holds every decoded model and runs the analyses; each decode worker posts its
// model there as well as here (worker/handoff.ts).
const engine = EngineClient.start();
const store = createSessionStore({
  engine,
  decode: (name, source, onProgress, inflate, fileId) =>
    decodeInWorker(
      name,
      source,
      onProgress,
      inflate,
      fileId === undefined ? null : { fileId, port: engine.expectFile(fileId) },
    ),
});
installAutomation(store, engine);
document.documentElement.dataset.state = 'empty';
openFromLocation(store);
syncHash(store);
registerServiceWorker(
  () => store.getState().files.some((f) => f.status === 'loading'),
  (f) => store.subscribe(f),
);
createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <App store={store} engine={engine} />
  </StrictMode>,
);
// A decode worker boots while the user is still finding the file (see prewarmDecoder).
setTimeout(prewarmDecoder, 0);
