/** Anything but visible ASCII (controls, spaces, raw UTF-8) is refused. */
const INVALID_CHARS = /[^\x21-\x7e]/;
/**
 * Backslashes (some stacks read them as `/`), empty segments (`//host` reads
 * as a scheme-relative URL), encoded separators and NUL, and their
 * double-encoded forms for upstreams that decode twice.
 */
const UNSAFE = /\\|\/\/|%(?:2f|5c|00|25(?:2e|2f|5c|00))/i;
/** `.` and `..` segments, also percent-encoded and with `;param` (Tomcat). */
const DOT_SEGMENT = /(?:^|\/)(?:\.|%2e){1,2}(?:;[^/]*)?(?:\/|$)/i;
const PRODUCT_ID = /^[A-Za-z0-9][A-Za-z0-9._~-]{0,99}$/;

/** `/{productId}{rest}?{query}` of a gateway request. */
export interface GatewayPath {
  productId: string;
  /** Empty or starting with `/`; never contains dot segments. */
  rest: string;
  /** Empty or starting with `?`. */
  query: string;
}

/**
 * Splits a request target into product and the path below it, refusing
 * anything that could resolve outside the upstream's base path. Nothing is
 * decoded: the upstream receives the path bytes the partner sent.
 */
export function parseGatewayPath(target: string): GatewayPath | undefined {
  if (target.charCodeAt(0) !== 47 /* / */ || INVALID_CHARS.test(target)) {
    return undefined;
  }
  const queryStart = target.indexOf('?');
  const path = queryStart < 0 ? target : target.slice(0, queryStart);
  if (UNSAFE.test(path) || DOT_SEGMENT.test(path)) return undefined;
  const productEnd = path.indexOf('/', 1);
  const productId = productEnd < 0 ? path.slice(1) : path.slice(1, productEnd);
  if (!PRODUCT_ID.test(productId)) return undefined;
  return {
    productId,
    rest: productEnd < 0 ? '' : path.slice(productEnd),
    query: queryStart < 0 ? '' : target.slice(queryStart),
  };
}

/**
 * The same checks for a handler mounted under a route that names the
 * product (express `router.use('/gateway/:productId', handler)`): the product
 * id comes from the route, `target` is what is left of the URL below it
 * (`req.url`, `/` when nothing is).
 */
export function parseMountedGatewayPath(
  productId: string,
  target: string,
): GatewayPath | undefined {
  if (!PRODUCT_ID.test(productId)) return undefined;
  const parsed = parseGatewayPath(`/${productId}${target}`);
  return parsed?.productId === productId ? parsed : undefined;
}

/** The upstream request target: base path + the partner's path + query. */
export function upstreamPath(basePath: string, parsed: GatewayPath): string {
  const path = basePath + parsed.rest;
  return (path === '' ? '/' : path) + parsed.query;
}
