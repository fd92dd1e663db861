export { KeysPanel } from './KeysPanel';
export { NewKeyPanel, SHOW_ONCE_WARNING } from './NewKeyPanel';
export {
  CreateKeyDialog,
  CreateKeyForm,
  RotateKeyDialog,
  RevokeKeyDialog,
  useMutation,
} from './KeyDialogs';
export type { KeyScopeOption } from './KeyDialogs';
