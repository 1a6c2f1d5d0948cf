/**
 * What the Designer itself would hold for an open extension: the notifications it showed, the
 * panel's size and the user's abilities. Kept per site so a test can read it back
 * (`GET /_sandbox/designer/state`) or take an ability away (`PUT …/settings`).
 */
import { allAbilities } from './app-modes.ts';
import type { DesignerState, ExtensionSize, Notice } from './wire.ts';

/** Notifications kept per site; older ones drop off so a long demo does not grow forever. */
const NOTICES_KEPT = 200;

export interface DesignerStates {
  of(siteId: string): DesignerState;
  notify(siteId: string, notice: Notice): void;
  resize(siteId: string, size: ExtensionSize): void;
  setCapabilities(siteId: string, capabilities: Partial<Record<AppMode, boolean>>): void;
}

export function createDesignerStates(): DesignerStates {
  const states = new Map<string, DesignerState>();
  const of = (siteId: string): DesignerState => {
    let state = states.get(siteId);
    if (!state) {
      state = { notifications: [], extensionSize: 'default', capabilities: allAbilities() };
      states.set(siteId, state);
    }
    return state;
  };
  return {
    of,
    notify(siteId, notice) {
      const { notifications } = of(siteId);
      notifications.push(notice);
      if (notifications.length > NOTICES_KEPT) notifications.splice(0, notifications.length - NOTICES_KEPT);
    },
    resize(siteId, size) {
      of(siteId).extensionSize = size;
    },
    setCapabilities(siteId, capabilities) {
      Object.assign(of(siteId).capabilities, capabilities);
    },
  };
}
