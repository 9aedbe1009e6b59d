// The `?` dialog: keyboard and mouse controls.

import { Modal } from './Modal';

export const SHORTCUTS: Array<[string, string]> = [
  ['Ctrl/⌘ + wheel', 'zoom at the pointer'],
  ['wheel, drag', 'scroll lanes / pan time'],
  ['Shift + wheel', 'pan time'],
  ['W / S', 'zoom in / out'],
  ['A / D', 'pan left / right'],
  ['0 or Home', 'fit the whole trace'],
  ['Shift + drag, or drag on the axis', 'select a time range'],
  ['F', 'zoom to the selection'],
  [
    'Esc',
    "clear one thing per press, in this order: the search box's query, the flame search, the highlighted function, the selected item, the time selection, then one flame zoom level (the same in every panel)",
  ],
  ['click', 'select an interval or a call and show its details'],
  ['click a group', 'expand or collapse it'],
  ['U', 'follow "unblocked by" one step back'],
  ['drag a file row', 'shift that file along the axis (manual alignment)'],
  ['flame graph: click', 'zoom into a frame (Esc backs out, after the rest is cleared)'],
  ['drag a splitter, or focus it and use the arrows', 'resize the panels (remembered)'],
  ['?', 'this help'],
];

export function ShortcutsHelp({ onClose }: { onClose(): void }) {
  return (
    <Modal label="Keyboard and mouse controls" onClose={onClose}>
      <h2>Keyboard and mouse</h2>
      <table>
        <tbody>
          {SHORTCUTS.map(([k, v]) => (
            <tr key={k}>
              <th scope="row">
                <kbd>{k}</kbd>
              </th>
              <td>{v}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" className="button" onClick={onClose} autoFocus>
        Close
      </button>
    </Modal>
  );
}
