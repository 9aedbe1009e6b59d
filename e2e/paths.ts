// The corpus (testdata/, or $GOROSCOPE_CORPUS) for the specs and the static server.
export { CORPUS_DIR as CORPUS } from '../src/testing/corpus';
