// git-url-parse ships no types; this is the part of its API used here.
declare module 'git-url-parse' {
  interface GitUrl {
    resource: string;
    owner: string;
    name: string;
    full_name: string;
    filepath: string;
  }
  function parseGitUrl(url: string): GitUrl;
  export default parseGitUrl;
}
