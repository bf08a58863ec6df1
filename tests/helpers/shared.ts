// The shared real datasets for tests (../shared/datasets, or ASSAY_SHARED_DIR): see
// scripts/shared-datasets.ts.

export { ROOT, sharedDataset, sharedDatasetsDir } from "../../scripts/shared-datasets";
