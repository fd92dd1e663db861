/**
 * Portico's sign-in: the OIDC and GitHub providers with resolvers that keep
 * partners (`user:partners/…`) apart from employees.
 */
export { authModulePorticoSignIn as default } from './module';
