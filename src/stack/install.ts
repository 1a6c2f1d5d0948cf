/**
 * Installs the backend on a sandbox site the way a Webflow user does, through the real OAuth
 * flow: /oauth/install → the sandbox's authorize page (approved at once with `auto=1`) → the
 * backend's /oauth/callback with the browser's state cookie.
 */
function cookieOf(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0])
    .join('; ');
}

function locationOf(response: Response, step: string): string {
  const location = response.headers.get('location');
  if (response.status < 300 || response.status >= 400 || !location) {
    throw new Error(`Installing on the sandbox failed at ${step}: expected a redirect, got ${response.status}.`);
  }
  return location;
}

export async function installOnSandboxSite(backendUrl: string, siteId: string): Promise<void> {
  const install = await fetch(new URL(`/oauth/install?siteId=${encodeURIComponent(siteId)}`, backendUrl), { redirect: 'manual' });
  const cookie = cookieOf(install);
  const authorize = new URL(locationOf(install, '/oauth/install'), backendUrl);
  authorize.searchParams.set('auto', '1');
  const approved = await fetch(authorize, { redirect: 'manual' });
  const callback = locationOf(approved, 'the authorize page');
  const done = await fetch(callback, { redirect: 'manual', headers: { cookie } });
  if (!done.ok) {
    throw new Error(`Installing on the sandbox failed at /oauth/callback: ${done.status} ${await done.text()}`);
  }
}
