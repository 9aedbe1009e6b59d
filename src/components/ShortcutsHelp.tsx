// The `?` dialog: keyboard and mouse controls.

export const SHORTCUTS: Array<[string, string]> = [
  ['Ctrl/⌘ + wheel', 'zoom at the pointer'],
  ['wheel, drag', 'scroll lanes / pan time'],
  ['Shift + wheel', 'pan time'],
  ['W / S', 'zoom in / out'],
  ['A / D', 'pan left / right'],
  ['0 or Home', 'fit the whole trace'],
  ['Shift + drag, or drag on the axis', 'select a time range'],
  ['F', 'zoom to the selection'],
  ['Esc', 'clear the selection, then the selected call'],
  ['click', 'select a call and show its details'],
  ['?', 'this help'],
];

export function ShortcutsHelp({ onClose }: { onClose(): void }) {
  return (
    <div className="modal-backdrop" onClick={onClose}>
      <div
        className="modal"
        role="dialog"
        aria-modal="true"
        aria-label="Keyboard and mouse controls"
        onClick={(e) => e.stopPropagation()}
      >
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
      </div>
    </div>
  );
}
