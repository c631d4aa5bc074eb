// User-assigned managed identities, one per role in the system, so each gets only its own rights:
//  - worker:  receives jobs, sends replies, reads images (and writes their score tags), writes results
//  - rescore: lists the gallery and enqueues jobs (the nightly job)
//  - scaler:  reads the jobs queue's message count for the KEDA scale rule
targetScope = 'resourceGroup'

@description('Worker identity name.')
param workerName string

@description('Rescoring identity name.')
param rescoreName string

@description('Scaler identity name.')
param scalerName string

@description('Azure region.')
param location string

@description('Tags applied to every resource.')
param tags object

resource worker 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: workerName
  location: location
  tags: tags
}

resource rescore 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: rescoreName
  location: location
  tags: tags
}

resource scaler 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: scalerName
  location: location
  tags: tags
}

output workerId string = worker.id
output workerClientId string = worker.properties.clientId
output rescoreId string = rescore.id
output rescoreClientId string = rescore.properties.clientId
output scalerId string = scaler.id
