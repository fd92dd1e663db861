export interface Config {
  /** Configuration of the Portico API marketplace backend plugin. */
  apiMarketplace?: {
    /**
     * How long the list of published products may be served from memory
     * before the catalog is read again, in milliseconds.
     * @defaultValue 5000
     */
    productCacheMs?: number;
  };
}
