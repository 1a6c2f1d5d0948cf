/**
 * Webflow's App Mode names at run time. The typings only declare the `AppMode` type; the
 * sandbox needs the values for `webflow.appModes` and for its per-site capabilities.
 */

const ALL: Record<AppMode, true> = {
  canAccessCanvas: true,
  canManageAssets: true,
  canAccessAssets: true,
  canDesign: true,
  canInsertComponentInstance: true,
  canEdit: true,
  canCreateComponents: true,
  canModifyComponents: true,
  canCreateStyles: true,
  canModifyStyles: true,
  canCreatePage: true,
  canReadPageSettings: true,
  canManagePageSettings: true,
  canReadVariables: true,
  canModifyVariables: true,
  canModifyImageElement: true,
  canWriteCodeSettings: true,
};

export const APP_MODES = Object.keys(ALL) as AppMode[];

export function isAppMode(name: unknown): name is AppMode {
  return typeof name === 'string' && Object.hasOwn(ALL, name);
}

/** A designer with every ability: a site owner in Design mode. */
export function allAbilities(): Record<AppMode, boolean> {
  return { ...ALL };
}
