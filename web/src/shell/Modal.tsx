// A modal dialog on the native <dialog> element: focus moves into it and
// stays there, Escape closes it (calls onClose), the page behind is inert.

import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";

export function Modal(props: {
  title: string;
  onClose: () => void;
  children: ComponentChildren;
  /** "alert" for warnings that need an answer (read out at once). */
  role?: "dialog" | "alertdialog";
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);
  const titleId = `modal-${props.title.replace(/\W+/g, "-").toLowerCase()}`;
  return (
    <dialog
      ref={ref}
      class="modal"
      role={props.role ?? "dialog"}
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        props.onClose();
      }}
    >
      <h2 id={titleId}>{props.title}</h2>
      {props.children}
    </dialog>
  );
}
