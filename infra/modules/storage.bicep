// Storage account (Entra ID only: shared keys are disabled) with the image container, the
// rescoring runs container and the results table, and the data-plane role assignments, each
// scoped to one container or table.
targetScope = 'resourceGroup'

import { builtInRoles } from 'roles.bicep'

@description('Account name (3-24 lowercase alphanumerics, globally unique).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region.')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Container holding the images to score (IpIqa:Blob:AllowedContainers).')
param imageContainerName string

@description('Results table (IpIqa:Sinks:Table:TableName).')
param resultsTableName string

@description('Worker identity name: reads images, writes score tags, upserts results.')
param workerIdentityName string

@description('Rescoring identity name: lists and reads images, reads and writes its runs.')
param rescoreIdentityName string

@description('Container that keeps the rescoring runs (ipiqa rescore --runs-container).')
param runsContainerName string

@description('Write a daily Azure Blob Inventory report of the image container, which the nightly rescoring reads instead of listing (ipiqa rescore --inventory).')
param inventoryEnabled bool = false

@description('Container the inventory reports are written to (the rescoring identity reads it).')
param inventoryContainerName string = 'ipiqa-inventory'

@description('Inventory report format: Parquet (smaller, typed) or Csv.')
@allowed(['Parquet', 'Csv'])
param inventoryFormat string = 'Parquet'

@description('Keep the blob change feed (7 days), which the nightly rescoring reads to score only what changed since its last run (ipiqa rescore --change-feed).')
param changeFeedEnabled bool = false

resource workerIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: workerIdentityName
}

resource rescoreIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: rescoreIdentityName
}

@description('Whether the worker writes score tags on image blobs (IpIqa:Sinks:BlobTags).')
param blobTagsEnabled bool

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    accessTier: 'Hot'
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
  properties: changeFeedEnabled ? { changeFeed: { enabled: true, retentionInDays: 7 } } : {}
}

resource images 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: imageContainerName
  properties: { publicAccess: 'None' }
}

resource runs 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: runsContainerName
  properties: { publicAccess: 'None' }
}

resource inventoryContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = if (inventoryEnabled) {
  parent: blobService
  name: inventoryContainerName
  properties: { publicAccess: 'None' }
}

// A daily inventory of the image container with the fields rescore reads: the name (the key),
// the size, the ETag (the version that decides whether an image changed), the last-modified time
// and the metadata (the prompt). Only current block blobs: no versions or snapshots, so each
// name is one row (docs/rescoring.md, "Blob inventory").
resource inventoryPolicy 'Microsoft.Storage/storageAccounts/inventoryPolicies@2023-05-01' = if (inventoryEnabled) {
  parent: account
  name: 'default'
  properties: {
    policy: {
      enabled: true
      type: 'Inventory'
      rules: [
        {
          enabled: true
          name: 'ipiqa-gallery'
          destination: inventoryContainer.name
          definition: {
            format: inventoryFormat
            schedule: 'Daily'
            objectType: 'Blob'
            schemaFields: ['Name', 'Content-Length', 'Last-Modified', 'Etag', 'Metadata']
            filters: {
              blobTypes: ['blockBlob']
              prefixMatch: ['${imageContainerName}/']
              includeSnapshots: false
              includeBlobVersions: false
            }
          }
        }
      ]
    }
  }
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource results 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = {
  parent: tableService
  name: resultsTableName
}

// Least privilege for the images. The worker reads blobs and, with IpIqa:Sinks:BlobTags, writes
// their index tags. No built-in role grants exactly that: Storage Blob Data Contributor can
// write, delete and overwrite image content yet still lacks blobs/tags/write, and Storage Blob
// Data Owner adds tags but also full control (including ACLs). So the worker gets a custom role
// of read + tags read/write, assignable in this resource group only. Without tag writes the
// built-in Storage Blob Data Reader is enough and no custom role is created.
resource blobScorerRole 'Microsoft.Authorization/roleDefinitions@2022-04-01' = if (blobTagsEnabled) {
  name: guid(resourceGroup().id, 'ipiqa-blob-scorer')
  properties: {
    // Role names are unique per tenant: suffix with this resource group's hash.
    roleName: 'IpIqa image scorer ${uniqueString(resourceGroup().id)}'
    description: 'Reads image blobs and reads/writes their index tags. Nothing else.'
    type: 'CustomRole'
    assignableScopes: [resourceGroup().id]
    permissions: [
      {
        actions: []
        notActions: []
        dataActions: [
          'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'
          'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags/read'
          'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags/write'
        ]
        notDataActions: []
      }
    ]
  }
}

var workerBlobRoleId = blobTagsEnabled
  ? blobScorerRole.id
  : subscriptionResourceId('Microsoft.Authorization/roleDefinitions', builtInRoles.storageBlobDataReader)

resource workerBlobRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(images.id, workerIdentity.id, 'ipiqa-worker-blob')
  scope: images
  properties: {
    roleDefinitionId: workerBlobRoleId
    principalId: workerIdentity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource rescoreBlobRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(images.id, rescoreIdentity.id, builtInRoles.storageBlobDataReader)
  scope: images
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', builtInRoles.storageBlobDataReader)
    principalId: rescoreIdentity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// The rescoring job keeps its runs here: it reads and replaces run.json, appends to journal.jsonl
// and writes the results and the report. Contributor on this container only; it cannot write
// images.
resource rescoreRunsRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(runs.id, rescoreIdentity.id, builtInRoles.storageBlobDataContributor)
  scope: runs
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', builtInRoles.storageBlobDataContributor)
    principalId: rescoreIdentity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// The rescoring job reads the inventory reports (the service writes them; nobody else needs to).
resource rescoreInventoryRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (inventoryEnabled) {
  name: guid(inventoryContainer.id, rescoreIdentity.id, builtInRoles.storageBlobDataReader)
  scope: inventoryContainer
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', builtInRoles.storageBlobDataReader)
    principalId: rescoreIdentity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// The change feed lives in $blobchangefeed, which the service creates with the first logged
// change, so no role can be scoped to it at deployment: the rescoring identity reads the account.
resource rescoreChangeFeedRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (changeFeedEnabled) {
  name: guid(account.id, rescoreIdentity.id, builtInRoles.storageBlobDataReader)
  scope: account
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', builtInRoles.storageBlobDataReader)
    principalId: rescoreIdentity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource workerTableRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(results.id, workerIdentity.id, builtInRoles.storageTableDataContributor)
  scope: results
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', builtInRoles.storageTableDataContributor)
    principalId: workerIdentity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

output name string = account.name
output id string = account.id
output blobServiceUri string = account.properties.primaryEndpoints.blob
output tableServiceUri string = account.properties.primaryEndpoints.table
output imageContainerName string = images.name
output runsContainerUri string = '${account.properties.primaryEndpoints.blob}${runs.name}'
output resultsTableName string = results.name
// The --inventory argument of the nightly rescoring: the rule's folder, under which every run lands (empty without inventory).
output inventoryPath string = inventoryEnabled ? inventoryContainerName : ''
