/** A Designer call that cannot be done, with what the user can do next. */
export class DesignerError extends Error {
  override name = 'DesignerError';
}
