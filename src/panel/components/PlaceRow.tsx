/**
 * The row of one image in a list of places ("On this page", "CMS images"): its asset's thumbnail,
 * the view's own fields, and why the place's last change did not go through.
 */
import type { ComponentChildren, JSX } from 'preact';
import { FieldForm } from './field-form.tsx';

export type PlaceRowProps = Omit<JSX.HTMLAttributes<HTMLLIElement>, 'children'> & {
  thumbUrl: string | null | undefined;
  problem: string | null;
  children: ComponentChildren;
};

export function PlaceRow({ thumbUrl, problem, children, class: className, ...row }: PlaceRowProps) {
  return (
    <li class={`onpage-row ${className ?? ''}`} {...row}>
      {thumbUrl ? <img class="thumb" src={thumbUrl} alt="" width={40} height={40} decoding="async" /> : <span class="thumb" aria-hidden="true" />}
      <div class="onpage-fields">
        <FieldForm>{children}</FieldForm>
        {problem && (
          <p class="lint" role="alert">
            {problem}
          </p>
        )}
      </div>
    </li>
  );
}
