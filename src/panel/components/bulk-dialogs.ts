/**
 * What the bulk bar loads on demand: its dialogs. They open on a click, after the grid, so the
 * panel's first load does not carry them (docs/decisions/panel-javascript.md).
 */
export { MoveDialog, RenameDialog, ReplaceDialog, SuggestionsDialog } from './BulkDialogs.tsx';
export { DeleteDialog } from '../deletion/DeleteDialog.tsx';
