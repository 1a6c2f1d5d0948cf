/** What CsvButtons loads on demand: both dialogs and their styles. */
import './csv.css';

export { ExportDialog } from './ExportDialog.tsx';
export { ImportDialog } from './ImportDialog.tsx';
