// A dialog over the page: closes on Esc or a click outside it.

import type { ReactNode } from 'react';

export function Modal(props: {
  label: string;
  onClose(): void;
  className?: string;
  children: ReactNode;
}) {
  return (
    <div className="modal-backdrop" onClick={props.onClose}>
      <div
        className={`modal ${props.className ?? ''}`.trim()}
        role="dialog"
        aria-modal="true"
        aria-label={props.label}
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            props.onClose();
          }
        }}
      >
        {props.children}
      </div>
    </div>
  );
}
