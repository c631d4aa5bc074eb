// Container registry for the worker image. No admin user, no anonymous pull: the worker's
// and rescoring identities pull with AcrPull.
targetScope = 'resourceGroup'

import { builtInRoles } from 'roles.bicep'

@description('Registry name (5-50 alphanumerics, globally unique).')
@minLength(5)
@maxLength(50)
param name string

@description('Azure region.')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Names of the user-assigned identities that pull images (worker, rescoring).')
param pullIdentityNames string[]

@description('Registry SKU.')
@allowed(['Basic', 'Standard', 'Premium'])
param sku string = 'Standard'

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: name
  location: location
  tags: tags
  sku: { name: sku }
  properties: {
    adminUserEnabled: false
  }
}

resource pullers 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = [
  for identityName in pullIdentityNames: {
    name: identityName
  }
]

resource acrPull 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (identityName, i) in pullIdentityNames: {
    name: guid(registry.id, pullers[i].id, builtInRoles.acrPull)
    scope: registry
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', builtInRoles.acrPull)
      principalId: pullers[i].properties.principalId
      principalType: 'ServicePrincipal'
    }
  }
]

output name string = registry.name
output loginServer string = registry.properties.loginServer
