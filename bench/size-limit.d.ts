// @size-limit/preset-small-lib ships no types: its default export is the plugin list size-limit's API takes.
declare module '@size-limit/preset-small-lib' {
  const plugins: unknown[]
  export default plugins
}
