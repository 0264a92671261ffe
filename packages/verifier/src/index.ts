export { leafHash, nodeHash, treeRoot, rootFromInclusionPath } from './merkle.ts';
