export interface Config {
  /** Configuration of the Portico API marketplace backend plugin. */
  apiMarketplace?: {
    /**
     * How long the list of published products may be served from memory
     * before the catalog is read again, in milliseconds.
     * @defaultValue 5000
     */
    productCacheMs?: number;
    /**
     * How often the products are read from the catalog in the background,
     * so that every spec change is recorded in the history, in seconds.
     * @defaultValue 30
     */
    productSyncSeconds?: number;
  };
}
