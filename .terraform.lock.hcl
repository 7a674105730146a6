# The dependency lock file of every stack: `npm run synth` writes each stack's providers from here into
# cdktf.out/stacks/<stack>/.terraform.lock.hcl, where `terraform init` checks every provider package it
# installs against these checksums (zh: SHA-256 of the official release zip of each platform, h1: hash of
# one unpacked platform package). Update it with `npm run providers:lock` (docs/validation.md, "Provider
# checksums"); never by hand except to record where a checksum came from, as below.

# Official checksums copied from public lock files: zh: sets identical in
# ministryofjustice/analytical-platform terraform/aws/analytical-platform-development/next-gen-network/.terraform.lock.hcl
# @09aa919f8c7d5fdcf31ae2eb85e77a13ba0132c8 and ministryofjustice/opg-modernising-lpa
# terraform/account/.terraform.lock.hcl @69182738a017ca45c63dd2ee1e66a98abc28e5de^ (all 14 h1: from the latter).
provider "registry.terraform.io/hashicorp/aws" {
  version     = "6.25.0"
  constraints = "6.25.0"
  hashes = [
    "h1:+hGrZFOwhO5Wa60cy9tntT0qkBf81rHJIF2ErJ5JkQg=",
    "h1:0XEc9eHELD/BtPNybqkzzaS3bYp2HSv9LwAfaGyCpOU=",
    "h1:4/MVfJTHXMUw0znz+eTdWdScMZkLiMZ0IkY4wPzx5Bc=",
    "h1:5Y+OtKRotuCIjbVW6rYrGIU1u8+zK5zyvar9t7L6aqc=",
    "h1:67vo1NVFcVzi0BcCd7uEOc5thGm22JE7xb7ph/XwUxI=",
    "h1:PQ3jzG6VNrfS35adtrBeLnVTnJef3f2t5SUV7XNikgo=",
    "h1:QAcpv9yoqEtVaBVyQ3hHsTc558AchV5/8lfAGoqmUkA=",
    "h1:QJEljz77aB459tng0v+5xIdV6mkmCM4RZO6ztk3pOEA=",
    "h1:RB3r7K1PgJ6S3J0l4u5/nB7G/inM2goPWY+QHesxuGo=",
    "h1:UT4pxGbPuANnxyCeDn5/Ybr476EkyxcsYsU+q0iYt/Q=",
    "h1:Uv/PPkYgnjKcsesOVWiTHaY/1R5/OgH1UYnXvtu0K58=",
    "h1:XuB0R/84+T3iEUVh5EHBQ+P+FdmgrC9DxQ0BmaNttS0=",
    "h1:p/zt5FRJNZg6oqJmh+ZCMx/Fn7kjefz1sCdbZaarunw=",
    "h1:v9FRXpj8ZndNpDmiJX3mDwGvGw8WMCatv/7vlp50U2E=",
    "zh:0f9621f719ec2051eabb94ca59aa4f13574487fbc1517b183293431c9d388e38",
    "zh:2ffbedb2e3afcd82da8bfc540bd74e9611527bdafd00d6d1885f62e7d13bac74",
    "zh:30fb4ab8b4af19da7b9ce95cb41fa9399f81383e1adc91801b770e7eeab651c3",
    "zh:377cbaffe3ec8aa5bb594071df0e91f17ac9292a325ed73cebd69fe78c51f7ec",
    "zh:3b65f5c98e03f1bfc5b71fa69521e785552ff9656860b25e211287910874037d",
    "zh:4478fab7b111c40a9a2a9db6ec5331618cc8e5a8b591f651095c77b87e9f22b1",
    "zh:4fdaa559c57aed5d24fa3d5cb59fed59e1e689c21d038fd336a3ba93b258803f",
    "zh:7a751ecd0f2654746dd4041d0f6d894c3a1876a152ba4bb7805ec2c715259065",
    "zh:866725b83f8d5587dab0559ac208ee6c181746871faa99ce551b535e19c7bb6a",
    "zh:9b12af85486a96aedd8d7984b0ff811a4b42e3d88dad1a3fb4c0b580d04fa425",
    "zh:b16e3e2a8ccba4ceeeee961c708ef572c4a65e0001eaf09d08fa14cef01ab179",
    "zh:dc897b2037bbb7f8d6456a4aa1ed82cbd4daddb173a184efdfe8c03a57557771",
    "zh:de2344f23c980093a46dda3185f9052cda950d1b8ca9cf3c6e16b8c45fa23779",
    "zh:ef538ec8a917715a1804c6735d44b756c32972d4fab71e15df87a59eb75dd57c",
    "zh:f25cdfdac6798e7de4a1d3dd577a97c1ca200a12317a1fd5a4b9ea54cb05e868",
  ]
}

# Official checksums copied from public lock files: brunostjohn/homelab terraform/.terraform.lock.hcl
# @4eca9d0a45c657362e88d1fd1c59e5c7dc1da2f1^ (14 h1:, 20 zh:; one source only).
provider "registry.terraform.io/grafana/grafana" {
  version     = "4.23.0"
  constraints = "4.23.0"
  hashes = [
    "h1:/nR9lRtqzLvGmtYXdQ25foWF7ek60IbgSYTxHLccJeQ=",
    "h1:8vgwkrfB6MEiHG3KV/em+bWaySobt4EeBtFn0UuZ7GE=",
    "h1:ESNkNOpOPoULmXdOu06T61bN3Z/s+70u90fNE6/2Qn8=",
    "h1:JPtRmR8Cb50g4uAXUPm5fUX2E5I6HllPvGxdRjlhg/Q=",
    "h1:M8kgCCai9qJ1c4KnJe+aUqoMsAhKIqHONuxu/sT1tQw=",
    "h1:NCTgYFEV60vWn+edO3Kl5O1HSMnE9Sw73aEybzINrEM=",
    "h1:NeHb3TDnQcOBSsyCohs8CDlKEVLj0O+HxG8ZF1ZcCYo=",
    "h1:QQqEdVWYg00Frdn2kE16l16y7tyXWD2C35PaoAQs8Xw=",
    "h1:Vng2xyznLx33VwG36qBBq+U8FncGlg0Es50oYGYCOJ4=",
    "h1:Wv4kIZIH0ibVicb9QNMWx+1rhDKLoFwLP0c38xLPpq0=",
    "h1:cr4qWunuTUr4uKBMqAlgIvYn9k9xx4AA+rN8qXFFAmo=",
    "h1:g99fzeV3UEPYM1+0JPWOCmPE28AdfEpA2l/Fl8Yu9xg=",
    "h1:qrLk88IqHhU7eQtTSsC9v/5fOhwoPnwNK5IhjVw+63w=",
    "h1:wemNE6NFVhWuFIhNqeNNLS3FGRkg6beKnx/X439Tmfs=",
    "zh:08968d5bf27e41a539406594f2f8a20a6c2d5f4d04823729b4f0d37da2b14f69",
    "zh:2f5391b1b1cfc83e73fe117cf07d7d686b2195bbb7c57209e491e2c24438c8d2",
    "zh:33bf4bfb8bedb8769afd9f2be6b19327431981186e2eacfbb205d7b5b5a4d16b",
    "zh:36adcbadd8db3a8ff39ac76e028bba0a769bc77f6d14d462471cb97dd9489f08",
    "zh:39862a020407d86d4d5fead4233b3298b74c896db53ac21e14cfd5089d7f0eac",
    "zh:4c0d562b62cf86220f186bc979a5a65b1282c11435c61627493c05b20a5ed3ed",
    "zh:6db440ba33868d56dd1403c03cd828040f3e0fcdb19bab92067e2161632ca769",
    "zh:7197bb17ae6b715ddbec156450c564d7c4a89c68857996f5a4d8a2e519d59bca",
    "zh:9748030224d19860629bb3dc08aae3c5f5352b5f31d0e5dc7c2c51d551f55a41",
    "zh:9aeeaeff1fd25611aded402ea48afeef93c3e348033d4dc9689b306ade447474",
    "zh:abe18e645f40cddea650b5f563122db6b65f27fce622e5e1417965955b368936",
    "zh:b038bb12b493f47b559320db178d7712e77921b3b920e06d88fb869e637cb63f",
    "zh:bf14d01696448a6c85dc316e22f95b124ae240c8c1a652fc993729723002603a",
    "zh:d6eed14a785fb9f00bc0edb2d51b6a48127211347152814bd3edb4f7acfbc8f1",
    "zh:ddd75ed6677fe1e9820cf623bf4dd08a7609943591beb76f14c5783691544f47",
    "zh:e12372f53a3f6a6c1c8565ab3fa7236975be2b32454121ae3fd7ab5bb421806b",
    "zh:e78d217c35088e86c8dd4bb8770adb53182015ca7b95c7f6476f28ad6c6b6aec",
    "zh:eb9f0c3762652d46d548c14f153425605b263cfdb1c49eb9f2458530667486d7",
    "zh:ef4787cb84361be8ed2ca91a23d7c8e068ab5523e02f0643a51e9f8d58aacf20",
    "zh:ff5108322fec676e9a33ce94aa41fc2ff9aecfee4b610bb7ba17e5f5badc33af",
  ]
}

# Official checksums copied from public lock files: brunostjohn/homelab terraform/.terraform.lock.hcl
# @5382414836924bd6fdc361d83abae84095e68664^ (11 h1:, 12 zh:; one source only).
provider "registry.terraform.io/hashicorp/helm" {
  version     = "3.1.1"
  constraints = "3.1.1"
  hashes = [
    "h1:/tVXN35+rcMB8KjqtYTIoFl7lxcQyDCCj+vKLXDmXck=",
    "h1:47CqNwkxctJtL/N/JuEj+8QMg8mRNI/NWeKO5/ydfZU=",
    "h1:5b2ojWKT0noujHiweCds37ZreRFRQLNaErdJLusJN88=",
    "h1:BQO6hRWHoQnD7pKnAYpn6Q2qa4s+NWefTMUDBYwd2uo=",
    "h1:YKAGKlgApzvN0I6ybgmn9aID13+/RbXJQF8uWxZLUPY=",
    "h1:ZRqGnsyvDCNw+EUO6mdSQhbt58vFy99+uryd7xFd2DA=",
    "h1:ZVCiP1K43Y8SEBFJmXAu5WdUrFkiWWfzHdmw4Xv9EJE=",
    "h1:aeYsVAdJYzLZYeIu8MIPewY82Jf9/kVmCXcjj+S76NY=",
    "h1:lO5SCev/kIBweEe0+MZJ09huUFHf8tU/86ExeMUsF6M=",
    "h1:s68EnUScdj1dXoXrNBaH/AIk18R2ryKeHY5H0ETfUws=",
    "h1:tiOU4srQ1wj4LbfaKKyWsJlBS7/6f3VlhCa1B9Rf7MI=",
    "zh:1a6d5ce931708aec29d1f3d9e360c2a0c35ba5a54d03eeaff0ce3ca597cd0275",
    "zh:3411919ba2a5941801e677f0fea08bdd0ae22ba3c9ce3309f55554699e06524a",
    "zh:81b36138b8f2320dc7f877b50f9e38f4bc614affe68de885d322629dd0d16a29",
    "zh:95a2a0a497a6082ee06f95b38bd0f0d6924a65722892a856cfd914c0d117f104",
    "zh:9d3e78c2d1bb46508b972210ad706dd8c8b106f8b206ecf096cd211c54f46990",
    "zh:a79139abf687387a6efdbbb04289a0a8e7eaca2bd91cdc0ce68ea4f3286c2c34",
    "zh:aaa8784be125fbd50c48d84d6e171d3fb6ef84a221dbc5165c067ce05faab4c8",
    "zh:afecd301f469975c9d8f350cc482fe656e082b6ab0f677d1a816c3c615837cc1",
    "zh:c54c22b18d48ff9053d899d178d9ffef7d9d19785d9bf310a07d648b7aac075b",
    "zh:db2eefd55aea48e73384a555c72bac3f7d428e24147bedb64e1a039398e5b903",
    "zh:ee61666a233533fd2be971091cecc01650561f1585783c381b6f6e8a390198a4",
    "zh:f569b65999264a9416862bca5cd2a6177d94ccb0424f3a4ef424428912b9cb3c",
  ]
}

# Official checksums copied from public lock files: zh: sets identical in
# ministryofjustice/analytical-platform terraform/aws/analytical-platform-production/cluster/.terraform.lock.hcl
# @f6b48e99 and ministryofjustice/cloud-platform-infrastructure
# terraform/aws-accounts/cloud-platform-aws/account/.terraform.lock.hcl @8f5b5758 (the three h1: seen there).
provider "registry.terraform.io/hashicorp/http" {
  version     = "3.5.0"
  constraints = "3.5.0"
  hashes = [
    "h1:8bUoPwS4hahOvzCBj6b04ObLVFXCEmEN8T/5eOHmWOM=",
    "h1:AW5AUlPPG8wmIRpxowGHzfvwBiXoVUI6FoOf78NaxH0=",
    "h1:dl73+8wzQR++HFGoJgDqY3mj3pm14HUuH/CekVyOj5s=",
    "zh:047c5b4920751b13425efe0d011b3a23a3be97d02d9c0e3c60985521c9c456b7",
    "zh:157866f700470207561f6d032d344916b82268ecd0cf8174fb11c0674c8d0736",
    "zh:1973eb9383b0d83dd4fd5e662f0f16de837d072b64a6b7cd703410d730499476",
    "zh:212f833a4e6d020840672f6f88273d62a564f44acb0c857b5961cdb3bbc14c90",
    "zh:2c8034bc039fffaa1d4965ca02a8c6d57301e5fa9fff4773e684b46e3f78e76a",
    "zh:5df353fc5b2dd31577def9cc1a4ebf0c9a9c2699d223c6b02087a3089c74a1c6",
    "zh:672083810d4185076c81b16ad13d1224b9e6ea7f4850951d2ab8d30fa6e41f08",
    "zh:78d5eefdd9e494defcb3c68d282b8f96630502cac21d1ea161f53cfe9bb483b3",
    "zh:7b4200f18abdbe39904b03537e1a78f21ebafe60f1c861a44387d314fda69da6",
    "zh:843feacacd86baed820f81a6c9f7bd32cf302db3d7a0f39e87976ebc7a7cc2ee",
    "zh:a9ea5096ab91aab260b22e4251c05f08dad2ed77e43e5e4fadcdfd87f2c78926",
    "zh:d02b288922811739059e90184c7f76d45d07d3a77cc48d0b15fd3db14e928623",
  ]
}

# Official checksums copied from public lock files: zh: sets identical in three lock files of
# ministryofjustice/analytical-platform (e.g. terraform/aws/analytical-platform-development/cluster/.terraform.lock.hcl
# @76314744) and in an unrelated public lock file found by content search, which holds the eleven h1: below.
provider "registry.terraform.io/hashicorp/kubernetes" {
  version     = "2.38.0"
  constraints = "2.38.0"
  hashes = [
    "h1:1OF0rDUteVdoX04BrtmTc0T4NOo6+D0utmK6hM0EzZw=",
    "h1:5CkveFo5ynsLdzKk+Kv+r7+U9rMrNjfZPT3a0N/fhgE=",
    "h1:7nJdsd1RMPBtOjDXidB37+KSDN5VcOWkbkow69qJVGc=",
    "h1:D8JZJgZSnSaPRynEBgxsSvuwxbJK+oiZie4xHx2EzC0=",
    "h1:ElxtiTYl1L0rwN7VQuGb/R6ntPKocQ4GO7MGmnaGekI=",
    "h1:PrqdwvK/d9ZW1G35lUc5nkMyHa3/9+JOnbs66IJHNNw=",
    "h1:XCkL/mxjWTawg6gg+jlpCQhF/+SNRoCEZxbbkDTj42s=",
    "h1:deJNiRn8IN1u7CQoRIJzjkNdApY4HFvQgvMld7gX5ko=",
    "h1:lhkYLPvEGl9vhWc8aP5hSvIyfsFEsOB+AKLpMfNjb4c=",
    "h1:soK8Lt0SZ6dB+HsypFRDzuX/npqlMU6M0fvyaR1yW0k=",
    "h1:ynRfNQBVjhOOETY+XQnhyweReJbi7//FvxTFkoA39/c=",
    "zh:0af928d776eb269b192dc0ea0f8a3f0f5ec117224cd644bdacdc682300f84ba0",
    "zh:1be998e67206f7cfc4ffe77c01a09ac91ce725de0abaec9030b22c0a832af44f",
    "zh:326803fe5946023687d603f6f1bab24de7af3d426b01d20e51d4e6fbe4e7ec1b",
    "zh:4a99ec8d91193af961de1abb1f824be73df07489301d62e6141a656b3ebfff12",
    "zh:5136e51765d6a0b9e4dbcc3b38821e9736bd2136cf15e9aac11668f22db117d2",
    "zh:63fab47349852d7802fb032e4f2b6a101ee1ce34b62557a9ad0f0f0f5b6ecfdc",
    "zh:924fb0257e2d03e03e2bfe9c7b99aa73c195b1f19412ca09960001bee3c50d15",
    "zh:b63a0be5e233f8f6727c56bed3b61eb9456ca7a8bb29539fba0837f1badf1396",
    "zh:d39861aa21077f1bc899bc53e7233262e530ba8a3a2d737449b100daeb303e4d",
    "zh:de0805e10ebe4c83ce3b728a67f6b0f9d18be32b25146aa89116634df5145ad4",
    "zh:f569b65999264a9416862bca5cd2a6177d94ccb0424f3a4ef424428912b9cb3c",
    "zh:faf23e45f0090eef8ba28a8aac7ec5d4fdf11a36c40a8d286304567d71c1e7db",
  ]
}

# NOT PINNED BY CHECKSUM: no public record of the official 0.71.0 checksums was found. Locked by version
# only, so the first `terraform init` of a bootstrap-tfc-* stack trusts what the registry serves (it still
# checks HashiCorp's signature). Run `npm run providers:lock` where the registry is reachable and commit.
provider "registry.terraform.io/hashicorp/tfe" {
  version     = "0.71.0"
  constraints = "0.71.0"
}

# Official checksums copied from public lock files found by content search (five unrelated projects, among
# them Google Cloud and Azure samples; repositories not named by the index): zh: sets identical in all five,
# h1:ZT5p... in four, h1:5l8P... in one.
provider "registry.terraform.io/hashicorp/time" {
  version     = "0.13.1"
  constraints = "0.13.1"
  hashes = [
    "h1:5l8PAnxPdoUPqNPuv1dAr3efcCCtSCnY+Vj2nSGkQmw=",
    "h1:ZT5ppCNIModqk3iOkVt5my8b8yBHmDpl663JtXAIRqM=",
    "zh:02cb9aab1002f0f2a94a4f85acec8893297dc75915f7404c165983f720a54b74",
    "zh:04429b2b31a492d19e5ecf999b116d396dac0b24bba0d0fb19ecaefe193fdb8f",
    "zh:26f8e51bb7c275c404ba6028c1b530312066009194db721a8427a7bc5cdbc83a",
    "zh:772ff8dbdbef968651ab3ae76d04afd355c32f8a868d03244db3f8496e462690",
    "zh:78d5eefdd9e494defcb3c68d282b8f96630502cac21d1ea161f53cfe9bb483b3",
    "zh:898db5d2b6bd6ca5457dccb52eedbc7c5b1a71e4a4658381bcbb38cedbbda328",
    "zh:8de913bf09a3fa7bedc29fec18c47c571d0c7a3d0644322c46f3aa648cf30cd8",
    "zh:9402102c86a87bdfe7e501ffbb9c685c32bbcefcfcf897fd7d53df414c36877b",
    "zh:b18b9bb1726bb8cfbefc0a29cf3657c82578001f514bcf4c079839b6776c47f0",
    "zh:b9d31fdc4faecb909d7c5ce41d2479dd0536862a963df434be4b16e8e4edc94d",
    "zh:c951e9f39cca3446c060bd63933ebb89cedde9523904813973fbc3d11863ba75",
    "zh:e5b773c0d07e962291be0e9b413c7a22c044b8c7b58c76e8aa91d1659990dfb5",
  ]
}
