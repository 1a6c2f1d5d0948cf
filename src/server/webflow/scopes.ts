/**
 * The OAuth scopes Asset Desk asks for when installed.
 *
 * Webflow's OpenAPI (v2.yml) names the pages scope `pages:read` in its OAuth scheme (the list of
 * scopes an app may ask for) and in each operation's description, and `page:read` in the
 * operations' `security` lists; the install asks for the scheme's name. An installation made
 * before the usage scopes keeps working for assets; the usage index then says what it lacks
 * (state `needs_scopes`) and the panel offers to install again.
 */
export const ASSET_SCOPES = ['assets:read', 'assets:write', 'sites:read', 'authorized_user:read'] as const;
export const USAGE_SCOPES = ['pages:read', 'components:read', 'cms:read'] as const;
/** CMS alt text is written and published by the server applier (docs/decisions/cms-changes.md). */
export const CMS_WRITE_SCOPES = ['cms:write'] as const;

/** Everything, asked of Webflow. */
export const INSTALL_SCOPES: readonly string[] = [...ASSET_SCOPES, ...USAGE_SCOPES, ...CMS_WRITE_SCOPES];

