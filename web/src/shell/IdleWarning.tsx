// Watches the server's idle timeout: pings the server while the person
// works, warns a minute before the end, signs out when it is over.

import { useEffect, useRef, useState } from "preact/hooks";
import { lastServerContact } from "../api/activity";
import { whoAmI } from "../api/auth";
import { idleDecision } from "./idle";
import { Modal } from "./Modal";

export function IdleWatch(props: { timeoutSeconds: number; onExpired: () => void }) {
  const lastActivity = useRef(Date.now());
  const [warning, setWarning] = useState<number | undefined>(undefined);
  const touching = useRef(false);

  async function touch() {
    if (touching.current) return;
    touching.current = true;
    try {
      if (!(await whoAmI())) props.onExpired();
    } catch {
      // The server is away: the next tick decides.
    } finally {
      touching.current = false;
    }
  }

  useEffect(() => {
    const active = () => {
      lastActivity.current = Date.now();
    };
    addEventListener("keydown", active, true);
    addEventListener("pointerdown", active, true);
    const timer = setInterval(() => {
      const d = idleDecision(Date.now(), lastServerContact(), lastActivity.current, props.timeoutSeconds);
      switch (d.action) {
        case "expired":
          setWarning(undefined);
          props.onExpired();
          return;
        case "touch":
          void touch();
          setWarning(undefined);
          return;
        case "warn":
          setWarning(d.remainingSeconds);
          return;
        case "none":
          setWarning(undefined);
          return;
      }
    }, 1000);
    return () => {
      clearInterval(timer);
      removeEventListener("keydown", active, true);
      removeEventListener("pointerdown", active, true);
    };
  }, [props.timeoutSeconds]);

  if (warning === undefined) return null;
  return (
    <Modal title="Still there?" role="alertdialog" onClose={() => void touch()}>
      <p>
        You will be signed out in <strong>{warning} s</strong> unless you carry on (nothing was
        done for a while).
      </p>
      <div class="actions">
        <button type="button" class="primary" autoFocus onClick={() => void touch()}>
          Stay signed in
        </button>
      </div>
    </Modal>
  );
}
