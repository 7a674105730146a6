import { Testing } from "cdktf";
// Type declarations of the matchers below.
import "cdktf/lib/testing/adapters/jest";

// cdktf's jest matchers: toHaveResource, toHaveResourceWithProperties, toHaveDataSource, toBeValidTerraform...
Testing.setupJest();
