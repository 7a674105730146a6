import { Testing } from "cdktf";

// cdktf's jest matchers: toHaveResource, toHaveResourceWithProperties, toHaveDataSource, toBeValidTerraform...
Testing.setupJest();
