export { UploadPanel, folderOptions, type UploadPanelProps } from './UploadPanel.tsx';
