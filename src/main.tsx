import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { installAutomation } from './app/automation';
import { openFromLocation, syncHash } from './app/urlSync';
import { registerServiceWorker } from './app/offline';
import { createSessionStore } from './store/session';
import { prewarmDecoder } from './worker/client';
import './styles.css';

const store = createSessionStore();
installAutomation(store);
document.documentElement.dataset.state = 'empty';
openFromLocation(store);
syncHash(store);
registerServiceWorker();
createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <App store={store} />
  </StrictMode>,
);
// A decode worker boots while the user is still finding the file (see prewarmDecoder).
setTimeout(prewarmDecoder, 0);
