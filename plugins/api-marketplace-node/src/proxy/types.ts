/** Where a product's calls go. */
export interface ResolvedProduct {
  /** Production upstream, e.g. `https://api.example.com/v2`. */
  baseUrl: string;
  /**
   * Sandbox upstream. A product without its own sandbox gets the local mock
   * server's URL from the resolver; left undefined, sandbox keys get
   * `wrong_environment`.
   */
  sandboxUrl?: string;
}

/**
 * Supplied by the caller from its product snapshot. Synchronous on purpose:
 * it runs on every call and must not hit storage.
 */
export interface ProductResolver {
  resolve(productId: string): ResolvedProduct | undefined;
}
