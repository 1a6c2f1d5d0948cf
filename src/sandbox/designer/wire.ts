/**
 * The wire between the browser's `webflow` global and the sandbox's Designer routes: paths,
 * bodies and the error shape. Both sides import these types so they cannot drift apart.
 */

/** Where the Designer routes live on the sandbox. */
export const DESIGNER_PATH = '/_sandbox/designer';
/** Where the browser script is served (`?siteId=…`). */
export const DESIGNER_SCRIPT_PATH = '/_sandbox/designer.js';

/** Cause tags as Webflow's Designer API documents them (`err.cause.tag`). */
export type DesignerErrorTag = 'Forbidden' | 'InternalError' | 'InvalidRequest' | 'ResourceMissing' | 'DuplicateValue';

export const STATUS_OF_TAG: Record<DesignerErrorTag, 400 | 403 | 404 | 409 | 500> = {
  InvalidRequest: 400,
  Forbidden: 403,
  ResourceMissing: 404,
  DuplicateValue: 409,
  InternalError: 500,
};

export interface DesignerErrorBody {
  error: { tag: DesignerErrorTag; message: string };
}

export interface SiteInfo {
  siteId: string;
  siteName: string;
  shortName: string;
  kind: 'site';
  isPasswordProtected: boolean;
  isPrivateStaging: boolean;
  workspaceId: string;
  workspaceSlug: string;
  domains: { url: string; lastPublished: string | null; default: boolean; stage: 'staging' | 'production' }[];
}

export type NoticeType = 'Error' | 'Info' | 'Success' | 'Warning';
export interface Notice {
  type: NoticeType;
  message: string;
  dismissAfter?: number;
}

export type ExtensionSize = 'default' | 'compact' | 'comfortable' | 'large' | { width: number; height: number };

/** What the Designer would show: the panel's notifications and size, for tests to read. */
export interface DesignerState {
  notifications: Notice[];
  extensionSize: ExtensionSize;
  capabilities: Record<AppMode, boolean>;
}

/** Test hooks: `PUT /settings` changes a site's abilities and the delay per round trip. */
export interface DesignerSettings {
  capabilities?: Partial<Record<AppMode, boolean>>;
  latencyMs?: number;
}

export interface IdsBody {
  ids: string[];
}
